"""Participant reports: goal attainment per insats."""
