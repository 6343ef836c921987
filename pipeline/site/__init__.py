"""The pages people read: Markdown to HTML, the page builders, charts, the writer and serve."""
