"""Start functions at the same moment in threads, each on its own database connection, and collect what each
returned or raised: for the tests of the places where two people race (SEC/REL concurrency, docs/security.md)."""

import threading
from collections.abc import Callable

from django.db import close_old_connections, connection


def at_the_same_moment(*functions: Callable[[], object]) -> tuple[list, list[Exception]]:
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def run(function: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # noqa: BLE001 - the test looks at every outcome
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
