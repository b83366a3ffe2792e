"""The consumer's entry point: ``huey_consumer manifest.worker.huey``.

Creating the app configures the queue's storage and registers every task.
"""

from manifest import create_app
from manifest.jobs import huey

app = create_app()

__all__ = ["app", "huey"]
