"""Import of beneficiaries from a spreadsheet: read, analyse cell by cell, then commit."""
