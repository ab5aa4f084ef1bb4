"""Icons and styles, installed as hvdesk.resources (see hvdesk/resources_path.py)."""
