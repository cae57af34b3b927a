process.send?.({ type: "ready" });
