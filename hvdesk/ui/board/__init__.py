"""The out-on-visit board: its model, alerts, sound, quick actions and windows."""
