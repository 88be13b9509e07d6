package dev.entramcp.adapter.graph;

/**
 * One kind of Graph call, with what the retry and error logic must know about it.
 *
 * @param action               what the call does, in words for messages ("read your profile")
 * @param method               the HTTP method
 * @param path                 the path below the base URL, such as {@code /me}
 * @param query                the raw query string, or empty
 * @param permission           the Graph permission it needs, such as {@code User.Read}
 * @param idempotent           whether repeating it after an ambiguous failure is harmless
 * @param badRequestIsCallers  whether a 400 means the caller's arguments were wrong (rather than our request)
 */
record GraphOperation(String action, String method, String path, String query, String permission,
                      boolean idempotent, boolean badRequestIsCallers) {

    /** {@code GET /me} with the fields the domain's profile holds. */
    static final GraphOperation READ_PROFILE = new GraphOperation("read your profile", "GET", "/me",
            "$select=id,displayName,userPrincipalName,mail,jobTitle,officeLocation", GraphAdapter.USER_READ, true, false);

    /** {@code POST /me/sendMail}: not idempotent, a repeat could send the mail twice. */
    static final GraphOperation SEND_MAIL = new GraphOperation("send the mail", "POST", "/me/sendMail", "",
            GraphAdapter.MAIL_SEND, false, true);

    // snippet:graph-list-groups-operation
    /**
     * {@code GET /me/memberOf}: one page of at most {@code top} direct memberships (groups, but also directory
     * roles and administrative units), with the three fields the domain's group holds. A read, so repeatable.
     */
    static GraphOperation listGroups(int top) {
        return new GraphOperation("list your groups", "GET", "/me/memberOf",
                "$select=id,displayName,description&$top=" + top, GraphAdapter.GROUP_MEMBER_READ_ALL, true, false);
    }
    // end-snippet

    /** For log lines: method and path, never a header. */
    String label() {
        return method + " " + path;
    }
}
