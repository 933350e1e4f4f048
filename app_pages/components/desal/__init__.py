"""The desalination lab's page parts: the water picker, the method comparison and its charts,
and the "which method for this village?" exercise. Every number comes from core.desalination."""
