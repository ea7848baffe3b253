// The username rule of docs/protocol.md ("Fields"; Java: com.securecom.protocol.Usernames): 3-32 characters of
// a-z 0-9 . _ -. tests/vectors.html holds it to the published vectors/usernames.json.
export const USERNAME = /^[a-z0-9._-]{3,32}$/;
