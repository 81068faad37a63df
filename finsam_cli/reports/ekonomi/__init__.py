"""Economy reports: budget against outcome, budget comparison, membership fees, financial statements."""
