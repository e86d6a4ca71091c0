"""Streamlit glue shared by the pages: the pages' list, the session, the language, the store and
its cached reads, the elements pages share (``metrics`` never imports it)."""
