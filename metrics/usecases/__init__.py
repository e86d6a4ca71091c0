"""Use cases that combine storage, spreadsheets and domain rules: page models, sign-in and
accounts, seeding the demo, exports and settlements. Return data, never sentences."""
