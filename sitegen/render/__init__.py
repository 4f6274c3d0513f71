"""From the Site to rendered pages: the output plan, view models and the Jinja2 environment."""
