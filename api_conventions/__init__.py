"""API conventions shared by every app's API (NL GOV API Design Rules).

The bottom layer beside ``accounts``: it imports Django and DRF only, so the apps' API views
(``cases``, ``workplans``) use it without importing the wiring in ``socialdomain`` above them.

- ``problems``: ``application/problem+json`` errors, pagination, the OpenAPI problem responses.
- ``views``: JSON-only views, service calls that answer 400 or 412, collected reference errors,
  lowerCamelCase names.
"""
