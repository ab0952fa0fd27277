"""Scale: the article cache, parallel workers, the streaming merge and the Spark engine."""
