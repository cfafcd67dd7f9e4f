"""留在闵行: follow-up surveys sent months after a programme ends, their answers and response rates."""
