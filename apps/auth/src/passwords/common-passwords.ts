/**
 * Passwords attackers try first (from public breach top lists), lowercase. Short ones are refused by
 * the length rule anyway; the list matters for the long ones people pick to pass it.
 */
export const commonPasswords: readonly string[] = [
  '123456', '123456789', '12345678', 'password', 'qwerty123', 'qwerty1', '111111', '12345', 'secret', '123123',
  '1234567890', '1234567', '000000', 'qwerty', 'abc123', 'password1', 'iloveyou', '11111111', 'dragon', 'monkey',
  'letmein', 'welcome', 'football', 'baseball', 'sunshine', 'princess', 'admin', 'administrator', 'passw0rd', 'trustno1',
  '123qwe', 'zxcvbnm', 'asdfghjkl', 'qwertyuiop', '1q2w3e4r', '1q2w3e4r5t', '1qaz2wsx', 'superman', 'michael', 'shadow',
  'master', 'jennifer', 'jordan', 'hunter', 'charlie', 'changeme', 'default', 'welcome1', 'password123', 'admin123',
  '123456789012', '1234567890123', '12345678901234', '123456789012345', '1234567890123456', '12345678901234567890',
  '111111111111111', '000000000000000', 'aaaaaaaaaaaaaaa', 'qwertyuiopasdfghjkl', 'qwertyuiopasdfgh', 'qwertyuiop123456',
  'passwordpassword', 'password1234567', 'password12345678', 'passwordpassword1', 'iloveyouiloveyou', 'letmeinletmein1',
  'administrator123', 'administrator1234', 'adminadminadmin', 'changemechangeme', 'welcomewelcome1', 'welcome12345678',
  'qwerty123456789', 'qwerty1234567890', 'asdfghjkl123456', 'zxcvbnm123456789', '1q2w3e4r5t6y7u8i', '1qaz2wsx3edc4rfv',
  'correcthorsebatterystaple', 'correct horse battery staple', 'thequickbrownfox', 'thequickbrownfoxjumps',
  'abcdefghijklmnop', 'abcdefghijklmno', 'abcdefghijklmnopqrstuvwxyz', 'abc123abc123abc', 'trustno1trustno1',
  'football12345678', 'baseball12345678', 'sunshine12345678', 'princess12345678', 'monkey1234567890',
  'dragon1234567890', 'superman12345678', 'starwarsstarwars', 'pokemonpokemon1', 'mypassword12345', 'mysecretpassword',
  'secretpassword1', 'supersecretpassword', 'verysecurepassword', 'strongpassword123', 'p@ssw0rdp@ssw0rd', 'p@ssword12345678',
];
