"""What a person reads: translation catalogues, number and date formatting, charts by page
family, the steering committee's pack (PDF and slides)."""
