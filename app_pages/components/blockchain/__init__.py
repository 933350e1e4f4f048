"""The Blockchain quest's render helpers: the task frame, visuals and one module per level."""
