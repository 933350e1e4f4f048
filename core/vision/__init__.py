"""Vision lab: pose, face and palm-vein biometrics."""
