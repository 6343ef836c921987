"""The review loop: drafting the next iteration, the review report, the course's status."""
