"""The visit request form: pupil and household by search as you type, reason, timing, visitors
and safety arrangements, with every problem shown beside the form as it is filled in."""
