import VirtualKey

print("ciauth-virtual-key: not yet available")
