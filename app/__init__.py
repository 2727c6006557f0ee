"""The Flask application: turns HTTP into Answers and an Assessment into pages."""

from flask import Flask


def create_app(test_config=None):
    """Create and configure the app."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder="../templates", static_folder="../static")
    app.config.from_mapping(SECRET_KEY="dev")
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def start():
        return "HSCT screening"

    return app
