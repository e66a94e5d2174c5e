"""Presentation: how numbers, colours and map classes look, in the app and the deck.

No UI imports: the Streamlit widgets and the briefing pack both read from here, so
a metric, a colour or a class limit cannot read one way in the app and another
way in the slides.
"""
