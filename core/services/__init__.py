"""Changes to the platform's models, as plain functions the apps call."""
