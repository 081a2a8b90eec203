"""The REST API (django-ninja): one router per domain, calling only services and selectors."""
