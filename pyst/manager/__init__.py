"""pyst.manager: an AMI client with a sans-IO core (work in progress)."""

from pyst.manager._messages import Event, Greeting, Headers, Message, Response
from pyst.manager._protocol import Decoder, encode_action

__all__ = ["Decoder", "Event", "Greeting", "Headers", "Message", "Response", "encode_action"]
