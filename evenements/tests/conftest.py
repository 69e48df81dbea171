import pytest


@pytest.fixture
def celery_eager():
    """Run tasks inline (on_commit callbacks included) for tests that check their effect."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False
