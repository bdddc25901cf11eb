"""Live voting: participants' phones score an assessment through the facilitator's laptop, offline.

`ballot` (what a phone is asked and how its answers are checked), `writer` (the one thread that writes
answers to the database), `server` (the HTTP server phones talk to), `live_round` (a round: token, join
code, server and writer together, and its status), `network` (the laptop's addresses), `qr` (QR codes).
"""
