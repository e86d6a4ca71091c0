"""Spreadsheets: the schema of each sheet, the readers (rows and Arrow), the template, the
isolated worker that parses untrusted files, and the demo workbook."""
