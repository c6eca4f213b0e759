#!/usr/bin/env python3
"""A drag source for the e2e drop test: a small GTK 3 window that offers files as
text/uri-list over XDND, exactly as a file manager does. The spec moves the X
pointer (xdotool, XTEST) from this window onto Rebound's, so the drop travels the
real way: X server -> GTK -> WebKitGTK -> wry -> tauri -> `tauri://drag-drop`.

usage: xdnd-source.py X,Y FILE...   (prints "ready" once the window is shown;
exits when the drag ends or after 60 s)
"""
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

TITLE = "rebound-e2e-drag-source"


def main() -> None:
    x, y = (int(v) for v in sys.argv[1].split(","))
    uris = [GLib.filename_to_uri(p, None) for p in sys.argv[2:]]
    win = Gtk.Window(title=TITLE)
    button = Gtk.Button(label="drag me")
    button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
    button.drag_source_add_uri_targets()
    button.connect("drag-data-get", lambda _w, _ctx, data, _info, _t: data.set_uris(uris))
    button.connect("drag-end", lambda *_: GLib.timeout_add(300, Gtk.main_quit))
    win.add(button)
    win.set_default_size(140, 70)
    win.move(x, y)
    win.connect("destroy", Gtk.main_quit)
    win.connect("map-event", lambda *_: print("ready", flush=True))
    win.show_all()
    GLib.timeout_add_seconds(60, Gtk.main_quit)
    Gtk.main()


if __name__ == "__main__":
    main()
