// VirtualKey
