"""Analytics: the programme's dashboard figures counted in the database, and their CSV, XLSX and PDF exports."""
