"""The analytics dashboard's pages: figures as tables with charts beside them, and their CSV/XLSX/PDF exports."""
