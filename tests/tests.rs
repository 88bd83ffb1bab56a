//! Integration tests: one binary driving the real executable.
