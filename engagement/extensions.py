"""What this app adds to the shared core: menu items, case links, subject access sections."""


def register() -> None:
    pass
