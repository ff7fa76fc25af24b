"""Code that runs beside the student's code, inside the sandbox. No reference answers here."""
