"""Annotations: comments, questions and proposed changes on lines of a round."""
