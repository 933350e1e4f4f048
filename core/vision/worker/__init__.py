"""The vision worker: a separate process in `.venv-vision` that owns the numpy<2 stack
(mediapipe, deepface/TensorFlow, ultralytics/torch). Models load once per worker and are shared
by every learner on the server. Run ``python -m core.vision.worker --help`` for the options."""
