"""The build's steps, one module per stage of the pipeline (see ``sitegen.build.pipeline``)."""
