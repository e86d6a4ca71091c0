"""Streamlit glue shared by the pages: the cached store, the language, cached queries."""
