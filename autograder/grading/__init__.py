"""`course grade`: find the modules of each submission, grade them in the sandbox, report."""
