"""`python -m newsie`: the `newsie` command."""
from .cli import app

app(prog_name="newsie")
