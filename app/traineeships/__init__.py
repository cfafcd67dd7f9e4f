"""Youth traineeships (职业见习) and university students' social practice (大学生社会实践)."""
