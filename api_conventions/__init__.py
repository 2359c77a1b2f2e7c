"""Conventions shared by every app's API and pages (NL GOV API Design Rules, input rules).

The bottom layer beside ``accounts``: it imports Django and DRF only, so the apps' models, forms and API
views use it without importing the wiring in ``socialdomain`` above them.

- ``problems``: ``application/problem+json`` errors (also for an unexpected exception), pagination,
  the OpenAPI problem responses.
- ``views``: JSON-only views, service calls that answer 400 or 412, collected reference errors,
  lowerCamelCase names.
- ``text``: which characters free text may hold (models, forms, e-mail headers);
  ``serializer_fields`` applies the same rule to the API's string inputs.
- ``numbers``: bounded whole numbers in URLs (the ``<number:…>`` converter, ``query_int``).
"""
