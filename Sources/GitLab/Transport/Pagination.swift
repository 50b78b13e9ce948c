extension GitLabClient {
    /// A listing that keeps changing while it is read is read again at most this many times.
    static let listingRereads = 2

    /// Fetches every page of a listing: follows `Link: <…>; rel="next"` (offset and keyset
    /// pagination alike), else `X-Next-Page`. Fails with `paginationLimitExceeded` when more than
    /// `options.maxPages` pages would be needed, rather than return a truncated list. When the
    /// pages' `X-Total` shows rows skipped or read twice (the listing changed between pages, or a
    /// page came short), the listing is read again from the start, and fails if it never settles:
    /// a caller deciding from the whole list (prune's "not a member") must never see a partial one.
    func paginate<Element: Decodable>(_ request: GitLabRequest, of _: Element.Type) async throws(GitLabError) -> [Element] {
        var request = request
        if !request.query.contains(where: { $0.0 == "per_page" }) {
            request.query.append(("per_page", String(options.perPage)))
        }
        var reads = 0
        while true {
            reads += 1
            let (items, totals) = try await readPages(request, of: Element.self)
            guard let discrepancy = totals.discrepancy(itemCount: items.count) else { return items }
            guard reads <= Self.listingRereads else {
                throw GitLabError(
                    .malformedResponse, request: request.label(server),
                    hint: "the listing changed or came short each of the \(reads) times it was read (\(discrepancy)); try again later")
            }
        }
    }

    /// One pass over every page, with the totals the pages announced.
    private func readPages<Element: Decodable>(
        _ request: GitLabRequest, of _: Element.Type
    ) async throws(GitLabError) -> ([Element], PageTotals) {
        var items: [Element] = []
        var totals = PageTotals()
        var nextURL: String?
        var read: Set<String> = [requestURL(request)]
        var pages = 0
        while true {
            let response = try await send(request, url: nextURL)
            let page = try decode([Element].self, from: response, request: request)
            items += page
            totals.record(response.header("x-total"))
            pages += 1
            guard let next = try nextPageURL(response, request: request, fetched: nextURL, itemCount: page.count) else {
                return (items, totals)
            }
            guard pages < options.maxPages else {
                throw GitLabError(
                    .paginationLimitExceeded, request: request.label(server),
                    hint: "the listing has more than \(options.maxPages) pages of \(options.perPage); narrow it or raise the page cap")
            }
            // A link back to a page already read would go round until the page cap.
            guard read.insert(next).inserted else {
                throw GitLabError(
                    .malformedResponse, request: request.label(server), hint: "the next-page link points back to a page already read")
            }
            nextURL = next
        }
    }

    /// The URL of the page after the one read from `fetched` (nil: the listing's first page).
    func nextPageURL(
        _ response: GitLabResponse, request: GitLabRequest, fetched: String?, itemCount: Int
    ) throws(GitLabError) -> String? {
        // A full page that says nothing about a next one may be a list cut short (a proxy that
        // drops headers): a caller deciding from the whole list (prune) must not see it as complete.
        let perPage = request.query.last { $0.0 == "per_page" }.flatMap { Int($0.1) }
        if response.header("x-next-page") == nil, response.header("link") == nil, let perPage, itemCount >= perPage {
            throw GitLabError(
                .malformedResponse, request: request.label(server),
                hint: "a full page of \(perPage) came without X-Next-Page or Link headers, so the listing may be incomplete; check proxies between ciauth and GitLab")
        }
        let nextPage = response.header("x-next-page").flatMap { $0.isEmpty ? nil : $0 }
        if let link = response.header("link"), let next = LinkHeader.next(link) {
            // The next page of this listing: the same path, only the query differs. A link to
            // another resource (another user's keys, another group's members) would be read as
            // part of this listing.
            let listing = server.apiRoot + request.path
            if next == listing || next.hasPrefix(listing + "?") {
                // Offset pages only go forward: an earlier one read again would go round until the page cap.
                if let number = Self.pageParameter(of: next), number <= Self.pageParameter(of: fetched) ?? 1 {
                    throw GitLabError(
                        .malformedResponse, request: request.label(server), hint: "the next-page link points back to page \(number)")
                }
                return next
            }
            // A link to anywhere else (often a proxy's internal name or scheme, which would also
            // carry our token there): use the page number instead, or stop.
            guard nextPage != nil else {
                let leaves = next.hasPrefix(server.apiRoot + "/") ? "names another resource than \(request.label(server))" : "leaves \(server.apiRoot)"
                throw GitLabError(
                    .malformedResponse, request: request.label(server),
                    hint: "the next-page link \(leaves); not following it")
            }
        }
        guard let page = nextPage else { return nil }
        guard page.allSatisfy(\.isASCIIDigit), page.count <= 9, let number = Int(page) else {
            throw GitLabError(.malformedResponse, request: request.label(server), hint: "invalid X-Next-Page header")
        }
        // Offset pages only go forward: an earlier one read again would go round until the page cap.
        guard number > Self.pageParameter(of: fetched) ?? 1 else {
            throw GitLabError(
                .malformedResponse, request: request.label(server), hint: "X-Next-Page \(number) does not come after the page read")
        }
        var next = request
        next.query.removeAll { $0.0 == "page" }
        next.query.append(("page", page))
        return requestURL(next)
    }
}

extension GitLabClient {
    /// The `page` parameter of a page's URL, nil when it has none (the first page of an offset
    /// listing, or a keyset listing's cursor link).
    static func pageParameter(of url: String?) -> Int? {
        guard let url, let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        let pages = query.split(separator: "&").compactMap { parameter -> Int? in
            let parts = parameter.split(separator: "=", maxSplits: 1)
            return parts.count == 2 && parts[0] == "page" ? Int(parts[1]) : nil
        }
        return pages.last
    }
}

/// RFC 8288 `Link` header, just enough to find `rel="next"`.
enum LinkHeader {
    static func next(_ value: String) -> String? {
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return nil }
            let target = rest[rest.index(after: open)..<close]
            let paramsEnd = rest[close...].firstIndex(of: ",") ?? rest.endIndex
            let params = rest[rest.index(after: close)..<paramsEnd]
            let isNext = params.split(separator: ";").contains { param in
                let parts = param.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
                guard parts.count == 2, parts[0].lowercased() == "rel" else { return false }
                var relation = parts[1]
                if relation.count >= 2, relation.hasPrefix("\""), relation.hasSuffix("\"") {
                    relation = String(relation.dropFirst().dropLast())
                }
                let rels = relation.split(separator: " ")
                return rels.contains { $0.lowercased() == "next" }
            }
            if isNext { return String(target) }
            rest = paramsEnd == rest.endIndex ? "" : rest[rest.index(after: paramsEnd)...]
        }
        return nil
    }
}
