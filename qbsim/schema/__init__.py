"""What qbsim knows of qbXML structure at run time, and the script that derives it from the XSD."""
