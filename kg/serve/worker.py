"""`python -m kg.serve.worker`: one query worker process (see kg.serve.engine)."""
from kg.serve.engine import worker_main

if __name__ == "__main__":
    worker_main()
