import pytest


@pytest.fixture(scope="session")
def dev_run():
    """The dev stack, run once for every test that only reads it."""
    from harness import run_stack

    return run_stack("dev")
