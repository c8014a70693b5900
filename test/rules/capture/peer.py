import socket, threading
def serve(port, echo):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('10.20.0.7', port)); s.listen(16)
    while True:
        c, _ = s.accept()
        def run(c=c):
            while True:
                d = c.recv(4096)
                if not d:
                    return
                if echo:
                    c.sendall(d)
        threading.Thread(target=run, daemon=True).start()
threading.Thread(target=serve, args=(5433, True), daemon=True).start()
serve(873, False)
