"""Programme pages, one module per area; `internships/urls.py` names each view by its module."""
