"""The web portal (Django templates + htmx), calling only services and selectors."""
