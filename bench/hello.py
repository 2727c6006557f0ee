"""The baseline for the load benchmark: a bare Flask "hello" app, nothing else."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
